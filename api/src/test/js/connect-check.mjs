// The npm ws client against /api/v2/connect: an echo that reverses each line is sent one line,
// then SIGKILL once it answered. Prints every event and how the server closed, as JSON.
import WebSocket from 'ws';

const url = process.argv[2].replace(/^http/, 'ws') + '/api/v2/connect';
const ws = new WebSocket(url);
const events = [];
ws.on('open', () => ws.send(JSON.stringify({
    type: 'init', language: 'python', version: '3',
    files: [{ content: 'while True:\n    print(input()[::-1], flush=True)' }],
})));
ws.on('message', data => {
    const event = JSON.parse(data.toString());
    events.push(event);
    if (event.type === 'stage' && event.stage === 'run') {
        ws.send(JSON.stringify({ type: 'data', stream: 'stdin', data: 'olleh\n' }));
    }
    if (event.type === 'data' && event.data === 'hello\n') {
        ws.send(JSON.stringify({ type: 'signal', signal: 'SIGKILL' }));
    }
});
ws.on('close', (code, reason) => console.log(JSON.stringify({ events, code, reason: reason.toString() })));
ws.on('error', error => {
    console.error(error.message);
    process.exit(1);
});
