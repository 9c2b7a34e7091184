module.exports = {
  displayName: 'metadata',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/metadata',
};
