export declare function keptSecret(name: string, envValue: string | undefined, make: () => string, root?: string): string;
export declare function readKeptSecret(name: string, envValue: string | undefined, root?: string): string | undefined;
