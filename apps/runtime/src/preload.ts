import { limitCompilerMemory } from '@stevedore/observability';

limitCompilerMemory();
