export declare function listenHost(env?: Record<string, string | undefined>): string;
export declare function nextStartArgs(port: number | string, host?: string): string[];
export declare function localUrl(host: string, port: number | string): string;
export declare function reachLine(host: string): string;
