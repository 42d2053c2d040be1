/**
 * `npm start`: the embedded local stack (emulators, local API, virtual clock) is not yet available.
 * Until it lands, this prints what can be used today.
 */
const lines = [
  'Jalon: the local stack (npm start) is not yet available.',
  'Available now:',
  '  npx jalon deadline --received 2026-12-18T15:00:00Z --days 10',
  '  npx jalon holidays 2027',
  '  npm test',
  '  npx cdk synth',
];
process.stdout.write(`${lines.join('\n')}\n`);
