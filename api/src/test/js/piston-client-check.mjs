// Drives a running Coding Engine api with the unmodified piston-client 1.0.2 and prints what the
// client returned as one JSON object. Usage: node piston-client-check.mjs http://127.0.0.1:PORT
import piston from 'piston-client';

const server = process.argv[2];
if (!server) {
    console.error('usage: node piston-client-check.mjs <server url>');
    process.exit(2);
}
const client = piston({ server });
const runtimes = await client.runtimes();
// An explicit range, then no version: the client picks the "latest" python from runtimes() itself.
const withRange = await client.execute('python', 'print(1)', { version: '*' });
const latest = await client.execute('python', 'print(42)');
// The client's defaults: args ["1","2","3"], a file without a name, memory limits of -1.
const args = await client.execute('python', 'import sys; print(sys.argv[1:])');
const withStdin = await client.execute('python', 'print(input()[::-1])', { stdin: 'abc' });
console.log(JSON.stringify({ runtimes, withRange, latest, args, withStdin }));
