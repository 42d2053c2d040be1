/**
 * s3rver as the local stack starts it (`startLocalS3rver`), alone in a process a test can kill: over the folder
 * and with the bucket given as arguments, it prints `{"port":…}` on one line once it listens.
 */
import { startLocalS3rver } from '../../infra/local/s3rver';

const [directory, bucket] = process.argv.slice(2);
if (directory === undefined || bucket === undefined) {
  process.stderr.write('usage: s3rver-process <directory> <bucket>\n');
  process.exit(2);
}
void startLocalS3rver({ directory, buckets: [bucket] }).then(({ port }) => {
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
