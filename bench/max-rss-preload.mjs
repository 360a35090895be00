// Preloaded with `node --import` into a benchmarked child when GNU time is not available: prints the
// process's own peak RSS on exit, so the number is the child's and not the benchmark runner's.
// Plain JS (not TS) because the child is plain node, without tsx. maxRSS is in kilobytes (KiB).
process.on('exit', () => {
  process.stderr.write(`\nbench-max-rss-kib=${process.resourceUsage().maxRSS}\n`);
});
