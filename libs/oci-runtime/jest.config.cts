module.exports = {
  displayName: 'oci-runtime',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/libs/oci-runtime',
};
