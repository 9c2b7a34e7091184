module.exports = {
  displayName: 'container-network',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/container-network',
};
