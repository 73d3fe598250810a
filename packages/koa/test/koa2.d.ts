// Koa 2 is installed under the alias `koa2` for the compatibility tests; at the type level
// it is used through Koa's own types.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
