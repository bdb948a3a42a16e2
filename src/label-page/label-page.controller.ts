import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { LABEL_PAGE_HTML } from './page-html';
import { LABEL_PAGE_JS } from './label-script';
import { LABEL_PAGE_CSS } from './label-styles';

// The page and its assets change with the service version only; revalidate rather than cache for long.
const CACHE = 'no-cache';

@ApiTags('labeling page')
@Controller('label')
export class LabelPageController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', CACHE)
  @ApiOperation({ summary: 'The labeling page: next task, concept checklist (yes/no/unsure), free text with suggestions (?annotator=ID&campaign=ID)' })
  @ApiProduces('text/html')
  page(): string {
    return LABEL_PAGE_HTML;
  }

  @Get('app.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', CACHE)
  @ApiOperation({ summary: "The labeling page's script" })
  @ApiProduces('text/javascript')
  script(): string {
    return LABEL_PAGE_JS;
  }

  @Get('app.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', CACHE)
  @ApiOperation({ summary: "The labeling page's style sheet" })
  @ApiProduces('text/css')
  styles(): string {
    return LABEL_PAGE_CSS;
  }
}
