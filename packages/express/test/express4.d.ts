// Express 4 is installed under the alias `express4` for the compatibility tests; at the
// type level it is used through Express's own types.
declare module 'express4' {
  import express from 'express';
  export default express;
}
