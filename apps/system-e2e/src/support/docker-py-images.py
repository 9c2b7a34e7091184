# Every image call of docker-py (Debian's python3-docker 5.0.3) made as its users make them, against
# one daemon. Prints one JSON object: what each step saw, or the error it raised ({"error": ...}).
# argv: daemon URL, registry host, name prefix (unique per run), scratch dir.
import io
import json
import os
import sys
import tarfile
import time

import docker

url, reg, prefix, scratch = sys.argv[1:5]
# docker-py 5.0.3's default (version=None) is 'auto': the daemon's newest API, where image inspect's
# Config holds only the keys the image sets (API 1.50, as dockerd 28). At 1.41, what dockerd 20.10
# users of docker-py had, Config carries every key.
client = docker.DockerClient(base_url=url, version='1.41')
auto = docker.DockerClient(base_url=url)
legacy = docker.DockerClient(base_url=url, version='1.24')  # sends images/json?filter=<name>
v140 = docker.DockerClient(base_url=url, version='1.40')
seen = {}


def step(name, fn):
    try:
        seen[name] = fn()
    except Exception as err:  # noqa: BLE001 - the test reports what the SDK raised
        seen[name] = {'error': type(err).__name__, 'status': getattr(err, 'status_code', None),
                      'explanation': getattr(err, 'explanation', str(err))}


start = int(time.time())
busybox = f'{reg}/library/busybox'
hub = f'{prefix}-hub'  # a Docker Hub name: served by the configured mirror (the testbed registry)
pushed = f'{reg}/library/{hub}'


def pull():
    image = client.images.pull(busybox, tag='latest')
    return {'id': image.id, 'tags': image.tags}


def pull_platform():
    image = client.images.pull(f'{reg}/test/multi-arch', tag='v1', platform='linux/arm64')
    return {'arch': image.attrs['Architecture'], 'variant': image.attrs.get('Variant')}


def tag_and_push():
    image = client.images.get(busybox)
    tagged = [image.tag(pushed, tag=t) for t in ('a', 'b')]
    lines = []
    for t in ('a', 'b'):
        lines += list(client.images.push(pushed, tag=t, stream=True, decode=True))
    return {'tagged': tagged, 'errors': [l for l in lines if 'error' in l],
            'aux': [l['aux']['Tag'] for l in lines if 'aux' in l],
            'tags': sorted(client.images.get(busybox).tags)}


def pull_all_tags():
    for t in ('a', 'b'):
        client.images.remove(f'{pushed}:{t}')
    images = client.images.pull(hub, all_tags=True)
    return sorted(t for i in images for t in i.tags)


def listing():
    ref = lambda images: sorted(t for i in images for t in i.tags)  # noqa: E731
    return {
        'all': ref(client.images.list()),
        'name': ref(client.images.list(name=busybox)),
        'label': ref(client.images.list(filters={'label': 'no-such-label'})),
        'dangling': ref(client.images.list(filters={'dangling': True})),
        'legacyFilter': ref(legacy.images.list(name=busybox)),
        'filter140named': sorted(t for i in v140.api._result(v140.api._get(
            v140.api._url('/images/json'), params={'filter': busybox}), True)
            for t in i['RepoTags'] or []),
    }


def inspect():
    attrs = client.images.get(busybox).attrs
    config = attrs['Config']
    return {
        'id': attrs['Id'], 'entrypoint': config['Entrypoint'], 'cmd': config['Cmd'],
        'env': 'Env' in config, 'workingDir': config['WorkingDir'], 'user': config['User'],
        'labels': config['Labels'], 'volumes': config['Volumes'], 'onBuild': config['OnBuild'],
        'virtualSize': attrs['VirtualSize'] == attrs['Size'],
        'containerConfig': 'ContainerConfig' in attrs and 'Container' in attrs,
        'repoDigests': attrs['RepoDigests'], 'os': attrs['Os'],
        'autoVersion': auto.api._version,
        'autoEntrypoint': 'Entrypoint' in auto.images.get(busybox).attrs['Config'],
    }


def missing():
    try:
        client.images.get(f'{prefix}/no-such:1')
        return None
    except docker.errors.ImageNotFound as err:
        return {'status': err.status_code, 'explanation': err.explanation}


def history():
    return [{'keys': sorted(h), 'tags': h['Tags']} for h in client.images.get(busybox).history()]


def search():
    return client.images.search(f'{reg}/library/busybox')


def registry_data():
    data = client.images.get_registry_data(f'{reg}/test/manifest-list:v1')
    return {'id': data.id, 'arm64': data.has_platform('linux/arm64/v8'),
            's390x': data.has_platform('linux/s390x'),
            'platforms': sorted(f"{p['os']}/{p['architecture']}" for p in data.attrs['Platforms'])}


def save_load():
    image = client.images.get(busybox)
    path = os.path.join(scratch, 'busybox.tar')
    with open(path, 'wb') as out:
        for chunk in image.save(named=True):
            out.write(chunk)
    with tarfile.open(path) as archive:
        manifest = json.load(archive.extractfile('manifest.json'))
    client.images.remove(image.id, force=True)
    gone = [i.id for i in client.images.list() if i.id == image.id]
    with open(path, 'rb') as archive:
        loaded = client.images.load(archive.read())
    return {'repoTags': manifest[0]['RepoTags'], 'gone': gone,
            'loaded': [i.id for i in loaded], 'id': image.id,
            'tags': sorted(client.images.get(image.id).tags)}


def import_image():
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode='w') as archive:
        body = b'imported by docker-py\n'
        info = tarfile.TarInfo('hello.txt')
        info.size = len(body)
        archive.addfile(info, io.BytesIO(body))
    answer = client.api.import_image_from_data(
        data.getvalue(), repository=f'{prefix}/imported', tag='1', changes=['ENV A=1', 'CMD ["x"]'])
    attrs = client.images.get(f'{prefix}/imported:1').attrs
    dangling = client.api.import_image_from_data(data.getvalue(), changes=['ENV B=2'])
    return {'answer': json.loads(answer)['status'][:7], 'env': attrs['Config']['Env'],
            'cmd': attrs['Config']['Cmd'], 'layers': len(attrs['RootFS']['Layers']),
            'dangling': json.loads(dangling)['status'][:7]}


def remove():
    client.images.get(busybox).tag(f'{prefix}/extra', tag='1')
    try:
        client.images.remove(client.images.get(busybox).id)
        conflict = None
    except docker.errors.APIError as err:
        conflict = {'status': err.status_code, 'explanation': err.explanation}
    client.images.remove(f'{prefix}/extra:1')
    return {'conflict': conflict, 'tags': sorted(client.images.get(busybox).tags)}


def prune():
    dangling = client.images.prune(filters={'dangling': True})
    everything = client.images.prune(filters={'dangling': False})
    return {'dangling': len(dangling['ImagesDeleted'] or []), 'reclaimed': dangling['SpaceReclaimed'],
            'all': sorted(d.get('Untagged', '') for d in everything['ImagesDeleted'] or []),
            'left': [i.tags for i in client.images.list()]}


def events():
    until = int(time.time()) + 1
    found = client.events(since=start, until=until, decode=True,
                          filters={'type': 'image', 'event': 'pull'})
    return sorted({e['Actor']['ID'] for e in found})


def df():
    usage = client.df()
    return {'keys': sorted(usage), 'layers': usage['LayersSize'] > 0,
            'images': sorted(t for i in usage['Images'] for t in i['RepoTags'] or []),
            'builderSize': usage.get('BuilderSize')}


def info():
    registry = client.info()['RegistryConfig']
    return {'mirrors': registry['Mirrors'], 'insecure': registry['IndexConfigs'][reg]['Secure']}


for name, fn in [('pull', pull), ('pullPlatform', pull_platform), ('list', listing),
                 ('inspect', inspect), ('missing', missing), ('history', history), ('search', search),
                 ('registryData', registry_data), ('saveLoad', save_load), ('push', tag_and_push),
                 ('pullAllTags', pull_all_tags), ('import', import_image), ('remove', remove),
                 ('events', events), ('df', df), ('info', info), ('prune', prune)]:
    step(name, fn)
print(json.dumps(seen))
