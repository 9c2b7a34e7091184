module.exports = {
  displayName: 'system-e2e',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/system-e2e',
};
