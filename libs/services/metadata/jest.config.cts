module.exports = {
  displayName: 'service-metadata',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/metadata',
};
