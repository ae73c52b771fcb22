// Trunk's post_build hook (Trunk.toml [[hooks]]), on Trunk's staging directory
// (TRUNK_STAGING_DIR). Trunk runs the hooks of one stage side by side, so the steps that depend
// on each other run here, in order:
// 1. worker/hash-names.mjs: the file-reader worker's files get content-hashed names;
// 2. tools/service-worker.mjs: sw.js lists the finished build (with those names) and
//    index.html gets the build's version (offline use; a debug build gets no offline cache).
import { execFileSync } from "node:child_process";
import { writeServiceWorker, SW_FILE, CACHE_PREFIX } from "./service-worker.mjs";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("tools/post-build.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk hook)");
  process.exit(1);
}
execFileSync(process.execPath, ["worker/hash-names.mjs"], { stdio: "inherit" });
const profile = process.env.TRUNK_PROFILE === "debug" ? "debug" : "release";
const { version, files } = writeServiceWorker(dir, { profile });
console.log(
  version
    ? `${SW_FILE}: offline cache ${CACHE_PREFIX}${version} (${files.length} files)`
    : `${SW_FILE}: debug build, no offline cache`,
);
