module.exports = {
  displayName: 'blobstore',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/blobstore',
};
