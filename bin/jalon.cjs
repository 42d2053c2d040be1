#!/usr/bin/env node
'use strict';
// The CLI is written in TypeScript; tsx compiles it on the fly so `npx jalon` needs no build step.
require('tsx/cjs');
require('../cli/jalon.ts');
