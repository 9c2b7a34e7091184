module.exports = {
  displayName: 'stevedore',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/stevedore',
};
