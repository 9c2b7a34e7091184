module.exports = {
  displayName: 'registry-client',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/registry-client',
};
