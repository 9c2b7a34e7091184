module.exports = {
  displayName: 'blob-port',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/storage/blob-port',
};
