# Writes a pre-1.10 `docker save` archive (repositories + <id>/json + <id>/layer.tar, no
# manifest.json) of two layers, by hand and deterministically: what Docker 1.9 wrote.
import hashlib, io, json, sys, tarfile
out = sys.argv[1]
def tar_bytes(name, data):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode='w', format=tarfile.USTAR_FORMAT) as t:
        f = tarfile.TarInfo(name); f.size = len(data); f.mtime = 1400000000; f.mode = 0o644
        t.addfile(f, io.BytesIO(data))
    return b.getvalue()
base_id = hashlib.sha256(b'legacy base').hexdigest()
top_id = hashlib.sha256(b'legacy top').hexdigest()
layers = {base_id: tar_bytes('hello', b'hello from 2015\n'), top_id: tar_bytes('world', b'world <&>\n')}
base_json = {"id": base_id, "created": "2015-06-01T10:00:00.120000000Z", "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) ADD file:abc in /"]}, "docker_version": "1.9.1", "architecture": "amd64", "os": "linux", "Size": 16}
top_json = {"id": top_id, "parent": base_id, "created": "2015-06-01T10:05:00+00:00", "author": "Ops <ops@example.com> & co", "container": "c0ffee", "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) CMD [\"sh\"]"]}, "config": {"Cmd": ["sh"], "Env": ["PATH=/bin"], "Labels": {"b": "2", "a": "1"}}, "docker_version": "1.9.1", "architecture": "amd64", "os": "linux", "Size": 10}
jsons = {base_id: json.dumps(base_json, indent=1).encode(), top_id: json.dumps(top_json).encode()}
with tarfile.open(out, 'w', format=tarfile.USTAR_FORMAT) as t:
    def add(name, data, kind=tarfile.REGTYPE):
        f = tarfile.TarInfo(name); f.type = kind; f.mtime = 1400000000
        if kind == tarfile.DIRTYPE: f.mode = 0o755; t.addfile(f)
        else: f.size = len(data); f.mode = 0o644; t.addfile(f, io.BytesIO(data))
    for i in (base_id, top_id):
        add(i + '/', b'', tarfile.DIRTYPE)
        add(i + '/VERSION', b'1.0')
        add(i + '/json', jsons[i])
        add(i + '/layer.tar', layers[i])
    add('repositories', json.dumps({"legacy/app": {"1.0": top_id}}).encode())
