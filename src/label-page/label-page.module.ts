import { Module } from '@nestjs/common';
import { LabelPageController } from './label-page.controller';

/** Serves the labeling page at /label (static HTML, CSS and JS compiled into the service). */
@Module({ controllers: [LabelPageController] })
export class LabelPageModule {}
