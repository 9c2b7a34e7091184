module.exports = {
  displayName: 'blob-http',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/blob-http',
};
