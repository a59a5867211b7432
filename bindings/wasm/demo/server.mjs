// A tiny static server for the demo: http://localhost:8080/demo/ (PORT to change it).
// Serves bindings/wasm (demo/, pkg/) and the repository's specs/ — nothing from the internet.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, normalize, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm', '.yaml': 'text/yaml; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export function serve(port = 8080) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path === '/' || path === '/demo') { res.writeHead(302, { location: '/demo/' }); return res.end(); }
    const file = path.startsWith('/specs/') ? join(repo, path)
      : /^\/(demo|pkg)\//.test(path) ? join(here, path.endsWith('/') ? path + 'index.html' : path) : null;
    try {
      if (!file || path.includes('..')) throw new Error('not found');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve(Number(process.env.PORT ?? 8080));
  console.log(`demo: http://localhost:${server.address().port}/demo/`);
}
