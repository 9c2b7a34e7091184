module.exports = {
  displayName: 'archive',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/archive',
};
