export declare const SERVER_NODE_FLAGS: string[];
export declare function nextStartArgs(port: number | string, extraNodeFlags?: string[]): string[];
