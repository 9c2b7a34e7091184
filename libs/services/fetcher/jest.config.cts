module.exports = {
  displayName: 'service-fetcher',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/services/fetcher',
};
