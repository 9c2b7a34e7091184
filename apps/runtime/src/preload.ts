import { limitCompilerMemory, limitYoungGeneration } from '@stevedore/observability';

limitCompilerMemory();
limitYoungGeneration();
