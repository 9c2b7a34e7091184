module.exports = {
  displayName: 'exporter',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/exporter',
};
