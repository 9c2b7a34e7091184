module.exports = {
  displayName: 'dockerfile',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/dockerfile',
};
