module.exports = {
  displayName: 'metadata-store',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/storage/metadata-store',
};
