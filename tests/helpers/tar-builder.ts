import { gzipSync } from "node:zlib";

export type TarEntry = { path: string; body?: string | Buffer; type?: "0" | "1" | "2" | "5"; linkTarget?: string };

/** Writes a ustar archive by hand, so that tests can build the hostile archives real tools refuse to make. */
export function tarGz(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? "");
    const header = Buffer.alloc(512, 0);
    header.write(entry.path, 0, 100, "utf8");
    header.write("0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(body.length.toString(8).padStart(11, "0") + "\0", 124);
    header.write("00000000000\0", 136);
    header.write("        ", 148);
    header.write(entry.type ?? "0", 156);
    if (entry.linkTarget) header.write(entry.linkTarget, 157, 100, "utf8");
    header.write("ustar\0", 257);
    header.write("00", 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512, 0));
  }
  blocks.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(blocks));
}

export const chartYaml = (name: string, version: string, extra = "") => `apiVersion: v2\nname: ${name}\nversion: ${version}\nappVersion: "9.9"\n${extra}`;
