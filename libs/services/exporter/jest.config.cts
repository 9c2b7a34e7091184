module.exports = {
  displayName: 'service-exporter',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/exporter',
};
