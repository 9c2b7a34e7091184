module.exports = {
  displayName: 'internal-http',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/internal-http',
};
