#!/bin/sh
# Run in a build stage of deploy/docker/Dockerfile after `turbo run build`, in the pruned workspace root: leaves
# only what the services need at run time. `turbo prune` keeps workspaces that are only dev dependencies (the
# testkit, for the adapters' tests), and `npm prune --omit=dev` would keep their dependencies (vitest, vite…) since
# a workspace is always installed; so the workspaces that no service reaches through "dependencies" are dropped
# first. Each remaining workspace keeps what it would publish — package.json and the entries of its "files" (dist/,
# plus the store migrations and Avro schemas its code reads at run time) — but loses sources, tests and build state.
set -eu
node --input-type=module -e '
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
const read = (file) => JSON.parse(readFileSync(file, "utf8"));
const root = read("package.json");
const dirs = root.workspaces.flatMap((pattern) => {
  if (!pattern.endsWith("/*")) return [pattern];
  const parent = pattern.slice(0, -2);
  return existsSync(parent) ? readdirSync(parent).map((d) => join(parent, d)) : [];
});
const workspaces = new Map(
  dirs.filter((dir) => existsSync(join(dir, "package.json"))).map((dir) => [read(join(dir, "package.json")).name, dir]),
);
const needed = new Set();
const visit = (name) => {
  const dir = workspaces.get(name);
  if (dir === undefined || needed.has(dir)) return;
  needed.add(dir);
  for (const dep of Object.keys(read(join(dir, "package.json")).dependencies ?? {})) visit(dep);
};
for (const [name, dir] of workspaces) if (dir.startsWith("services/")) visit(name);
for (const dir of workspaces.values()) if (!needed.has(dir)) rmSync(dir, { recursive: true, force: true });
root.workspaces = [...needed].sort();
writeFileSync("package.json", JSON.stringify(root, null, 2) + "\n");
for (const dir of needed) {
  const files = read(join(dir, "package.json")).files;
  if (!Array.isArray(files)) continue;
  const keep = new Set(["package.json", "node_modules", ...files.map((f) => f.replace(/\/+$/, ""))]);
  for (const entry of readdirSync(dir)) if (!keep.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
}
'
npm prune --omit=dev --offline
rm -rf .turbo node_modules/.cache tsconfig.base.json turbo.json
find node_modules -mindepth 1 -maxdepth 2 -type d -empty -delete
