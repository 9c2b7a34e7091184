module.exports = {
  displayName: 'service-blobstore',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/blobstore',
};
