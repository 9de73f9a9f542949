/** The part of wink-bm25-text-search (which ships no types) that the peer comparison uses. */
declare module "wink-bm25-text-search" {
  interface WinkBm25 {
    defineConfig(config: { fldWeights: Record<string, number> }): boolean;
    definePrepTasks(tasks: Array<(text: string) => string[]>, field?: string): number;
    addDoc(doc: Record<string, string>, id: number | string): number;
    consolidate(fp?: number): boolean;
    search(text: string, limit?: number): Array<[number | string, number]>;
  }
  export default function bm25(): WinkBm25;
}
