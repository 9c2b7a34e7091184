module.exports = {
  displayName: 'snapshots',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/snapshots',
};
