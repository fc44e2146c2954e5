/**
 * The GraphQL IDE (GraphiQL 3), outside production only: GET /ide, or GET /graphql from a browser
 * (Accept: text/html, no `query` parameter). Every script and style comes from installed npm
 * packages (graphiql's prebuilt UMD bundle, react and react-dom's UMD builds), served by this
 * server under /ide/assets/, because government intranets have no internet: no CDN, and
 * GraphiQL's fonts are data: URLs inside its CSS.
 *
 * The page's CSP allows its own scripts only (no inline script: the start-up code is ide.js
 * below) and requests to this origin only. GraphiQL sets inline styles, hence 'unsafe-inline' for
 * styles. In production every IDE route answers 404.
 */
import { readFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sendJson } from './http';

export const IDE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Pre-filled in GraphiQL's headers editor: paste the access token after "Bearer ". */
export const DEFAULT_HEADERS = '{\n  "Authorization": "Bearer "\n}';

const DEFAULT_QUERY = `# Techtransform GraphQL API: development IDE (off in production)
#
# 1. Run SignIn (demo password: demo1234).
# 2. Paste its accessToken after "Bearer " in Headers.
# 3. Run Me. The book icon (top left) opens the docs.

mutation SignIn {
  login(input: { username: "fucheng", password: "demo1234" }) {
    accessToken
    expiresIn
  }
}

query Me {
  me { username displayName }
}
`;

/** Runs in the browser, after react, react-dom and graphiql have defined their globals. */
const IDE_JS = `(function () {
  var root = document.getElementById('graphiql');
  var fetcher = GraphiQL.createFetcher({ url: new URL(root.getAttribute('data-endpoint'), location.href).href });
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
    defaultHeaders: ${JSON.stringify(DEFAULT_HEADERS)},
    defaultEditorToolsVisibility: 'headers',
    // Tokens stay in the page: they are not written to localStorage.
    shouldPersistHeaders: false,
    isHeadersEditorEnabled: true
  }));
})();
`;

const IDE_CSS = `html, body { height: 100%; margin: 0; } #graphiql { height: 100vh; }`;

const page = (endpoint: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Techtransform GraphQL IDE</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ide/assets/graphiql.min.css">
<link rel="stylesheet" href="/ide/assets/ide.css">
</head>
<body>
<div id="graphiql" data-endpoint="${endpoint}">Loading the GraphQL IDE…</div>
<script src="/ide/assets/react.production.min.js"></script>
<script src="/ide/assets/react-dom.production.min.js"></script>
<script src="/ide/assets/graphiql.min.js"></script>
<script src="/ide/assets/ide.js"></script>
</body>
</html>
`;

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Files served under /ide/assets/: a fixed list, never a path taken from the request. */
const PACKAGE_ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', type: JS },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: JS },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: JS },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: CSS },
};
const OWN_ASSETS: Record<string, { body: string; type: string }> = {
  'ide.js': { body: IDE_JS, type: JS },
  'ide.css': { body: IDE_CSS, type: CSS },
};
export const IDE_ASSET_NAMES = [...Object.keys(PACKAGE_ASSETS), ...Object.keys(OWN_ASSETS)];

interface Asset {
  body: Buffer;
  gzipped: Buffer;
  type: string;
  etag: string;
}

/** Packages resolve through their package.json (their `exports` hide the UMD files from require.resolve). */
function packageDir(pkg: string): { dir: string; version: string } {
  const manifest = require.resolve(`${pkg}/package.json`);
  return { dir: dirname(manifest), version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version };
}

function loadAsset(name: string): Asset | undefined {
  const own = OWN_ASSETS[name];
  const fromPackage = PACKAGE_ASSETS[name];
  if (!own && !fromPackage) return undefined;
  let body: Buffer;
  let version: string;
  if (own) {
    body = Buffer.from(own.body);
    version = String(body.length);
  } else {
    const { dir, version: v } = packageDir(fromPackage.pkg);
    body = readFileSync(join(dir, fromPackage.file));
    version = v;
  }
  return { body, gzipped: gzipSync(body), type: (own ?? fromPackage).type, etag: `"${name}@${version}"` };
}

export interface Ide {
  /** Answers the request if it is for the IDE (404 when the IDE is disabled); false otherwise. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

/** Is this a browser opening /graphql (a page load, not a GraphQL GET request)? */
function isBrowserNavigation(req: IncomingMessage): boolean {
  if (req.method !== 'GET' || !(req.headers.accept ?? '').includes('text/html')) return false;
  return !new URL(req.url ?? '/', 'http://localhost').searchParams.has('query');
}

export function createIde(options: { enabled: boolean; endpoint: string }): Ide {
  const assets = new Map<string, Asset>(); // read and compressed once, on first request
  const html = page(options.endpoint);

  const sendAsset = (req: IncomingMessage, res: ServerResponse, name: string) => {
    let asset = assets.get(name);
    if (!asset) {
      asset = loadAsset(name);
      if (!asset) return sendJson(res, 404, { error: 'not found' });
      assets.set(name, asset);
    }
    res.setHeader('cache-control', 'no-cache'); // revalidate with the ETag (the package version)
    res.setHeader('etag', asset.etag);
    res.setHeader('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304);
      return res.end();
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(200, { 'content-type': asset.type, ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
    res.end(gzip ? asset.gzipped : asset.body);
  };

  return {
    serve(req, res, path) {
      const isIdePath = path === '/ide' || path.startsWith('/ide/');
      if (!isIdePath && !(path === options.endpoint && isBrowserNavigation(req))) return false;
      if (!options.enabled) {
        sendJson(res, 404, { error: 'not found' });
        return true;
      }
      if (req.method !== 'GET') {
        sendJson(res, 405, { error: 'method not allowed' });
        return true;
      }
      if (path.startsWith('/ide/assets/')) {
        sendAsset(req, res, path.slice('/ide/assets/'.length));
        return true;
      }
      if (path !== '/ide' && path !== '/ide/' && path !== options.endpoint) {
        sendJson(res, 404, { error: 'not found' });
        return true;
      }
      res.setHeader('content-security-policy', IDE_CSP);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return true;
    },
  };
}
