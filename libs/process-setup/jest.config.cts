module.exports = {
  displayName: 'process-setup',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/process-setup',
};
