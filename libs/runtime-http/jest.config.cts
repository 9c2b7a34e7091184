module.exports = {
  displayName: 'runtime-http',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/runtime-http',
};
