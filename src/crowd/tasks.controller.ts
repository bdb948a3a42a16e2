import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseId } from '../concepts/id-param';
import { SubmitTaskDto } from './dto/submit-task.dto';
import { TasksService } from './tasks.service';

@ApiTags('crowd')
@Controller('tasks')
export class TasksController {
  constructor(@Inject(TasksService) private readonly tasks: TasksService) {}

  @Get(':id')
  @ApiOperation({ summary: "A task: the item (and the model's answer when shown), the concept checklist" })
  get(@Param('id') id: string) {
    return this.tasks.get(parseId(id, 'id'));
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit answers (yes/no/unsure per concept) and free text, in one transaction' })
  submit(@Param('id') id: string, @Body() dto: SubmitTaskDto) {
    return this.tasks.submit(parseId(id, 'id'), dto);
  }
}
