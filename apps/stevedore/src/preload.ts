import { limitCompilerMemory } from '@stevedore/config';

limitCompilerMemory();
