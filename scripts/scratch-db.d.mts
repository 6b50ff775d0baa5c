export declare const SERVER_URL: string;
export declare function createScratchDatabase(prefix: string): Promise<{ name: string; url: string; drop: () => Promise<void> }>;
