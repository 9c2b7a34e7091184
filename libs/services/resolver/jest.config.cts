module.exports = {
  displayName: 'service-resolver',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/resolver',
};
