module.exports = {
  displayName: 'exporter-http',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/exporter-http',
};
