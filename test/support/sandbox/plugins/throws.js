export default {
  execute() {
    throw new Error('plugin gave up');
  },
};
