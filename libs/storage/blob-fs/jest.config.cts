module.exports = {
  displayName: 'blob-fs',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/storage/blob-fs',
};
