import { splitTerm } from './search.use-case';

describe('docker search terms', () => {
  it.each([
    ['centos', { text: 'centos' }],
    ['library/centos', { text: 'library/centos' }],
    ['127.0.0.1:5000/centos', { registry: '127.0.0.1:5000', text: 'centos' }],
    ['registry.example.com/team/app', { registry: 'registry.example.com', text: 'team/app' }],
    ['localhost/x', { registry: 'localhost', text: 'x' }],
  ])('%s', (term, expected) => expect(splitTerm(term)).toEqual(expected));
});
