import { parseAccessLog } from './access-log';

// Lines as docker-registry 2.8.2 writes them with `log.formatter: json` (trimmed of unrelated fields).
const LOG = [
  '{"level":"info","msg":"listening on 127.0.0.1:35123","time":"2026-11-28T17:17:09Z"}',
  '{"http.request.method":"GET","http.request.uri":"/v2/","http.response.status":200,"http.response.written":2,"level":"info","msg":"response completed"}',
  '127.0.0.1 - - [28/Nov/2026:17:17:10 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "curl/7.88.1"',
  '{"err.code":"manifest unknown","http.request.method":"GET","http.request.uri":"/v2/foo/manifests/latest","http.response.status":404,"http.response.written":96,"level":"error","msg":"response completed with error"}',
  '{"http.request.method":"GET","http.request.uri":"/v2/a/b/tags/list?n=2&last=x","level":"warning","msg":"error authorizing context: authorization token required"}',
  '{"http.request.method":"GET","http.request.uri":"/v2/a/b/tags/list","level":"info","msg":"authorized request"}',
  '{"http.request.method":"HEAD","http.request.uri":"/v2/cut',
].join('\n');

describe('parseAccessLog', () => {
  it('keeps one entry per finished request, with 401 for refused ones, and skips other and torn lines', () => {
    expect(parseAccessLog(LOG)).toEqual([
      { method: 'GET', path: '/v2/', status: 200, written: 2 },
      { method: 'GET', path: '/v2/foo/manifests/latest', status: 404, written: 96 },
      { method: 'GET', path: '/v2/a/b/tags/list', query: 'n=2&last=x', status: 401 },
    ]);
  });
});
