module.exports = {
  displayName: 'registry-access',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/registry-access',
};
