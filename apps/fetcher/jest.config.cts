module.exports = {
  displayName: 'fetcher',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/fetcher',
};
