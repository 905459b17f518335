// Loaded into a measured process with --require when ALLOCATION_PROFILE_FILE is set: samples
// every allocation, garbage included (node --heap-prof keeps only what is still alive at exit,
// which hides what a process throws away), and writes the profile to that file as the process
// exits. Open it in Chrome DevTools (Memory, Load profile) or read it as JSON: each node of the
// call tree carries the bytes allocated there.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');

const file = process.env.ALLOCATION_PROFILE_FILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 16 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  process.on('exit', () => {
    // The inspector answers within the call: the profile is written before the process ends.
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
