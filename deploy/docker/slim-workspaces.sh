#!/bin/sh
# Run in a build stage of deploy/docker/Dockerfile after `turbo run build`, in the pruned workspace root, with the
# workspaces the image runs as arguments (`slim-workspaces.sh @mosy/standalone`): leaves only what they need at run
# time. `turbo prune` keeps workspaces that are only dev dependencies (the testkit, for the adapters' tests; the
# distributed wiring, for building each service's main.ts), and `npm prune --omit=dev` would keep their
# dependencies (vitest, kafkajs…) since a workspace is always installed; so the workspaces that no image root
# reaches are dropped first. A root reaches its "dependencies" and its "peerDependencies" (what its own entry point
# needs from the installation: a service's main.ts needs @mosy/distributed, its library entry does not); every
# other workspace reaches its "dependencies" only, so the embedded image, whose root uses the services as
# libraries, carries no Kafka, ClickHouse or Redis client. Each remaining workspace keeps what it would publish — package.json and the entries of its "files" (dist/,
# plus the store migrations and Avro schemas its code reads at run time) — but loses sources, tests and build state.
set -eu
[ "$#" -gt 0 ] || { echo "usage: slim-workspaces.sh <workspace>..." >&2; exit 2; }
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
const visit = (name, asRoot) => {
  const dir = workspaces.get(name);
  if (dir === undefined) throw new Error(`no workspace ${name}`);
  if (needed.has(dir) && !asRoot) return;
  needed.add(dir);
  const pkg = read(join(dir, "package.json"));
  const deps = { ...pkg.dependencies, ...(asRoot ? pkg.peerDependencies : {}) };
  for (const dep of Object.keys(deps)) if (workspaces.has(dep)) visit(dep, false);
};
for (const root of process.argv.slice(1)) visit(root, true);
for (const dir of workspaces.values()) if (!needed.has(dir)) rmSync(dir, { recursive: true, force: true });
root.workspaces = [...needed].sort();
writeFileSync("package.json", JSON.stringify(root, null, 2) + "\n");
for (const dir of needed) {
  const files = read(join(dir, "package.json")).files;
  if (!Array.isArray(files)) continue;
  const keep = new Set(["package.json", "node_modules", ...files.map((f) => f.replace(/\/+$/, ""))]);
  for (const entry of readdirSync(dir)) if (!keep.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
}
' "$@"
npm prune --omit=dev --offline
rm -rf .turbo node_modules/.cache tsconfig.base.json turbo.json
find node_modules -mindepth 1 -maxdepth 2 -type d -empty -delete
